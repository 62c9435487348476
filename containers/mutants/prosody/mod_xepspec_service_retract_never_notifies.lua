-- mod_xepspec_service_retract_never_notifies: a deliberately broken generic
-- pubsub service, for xepspec.
--
-- Breaks XEP-0060 §7.2.2.1 (MUST) on the pubsub component
-- (pubsub.<host>), as mod_xepspec_retract_never_notifies does on PEP: "If
-- no error occurs and the <retract/> element included a 'notify' attribute
-- with a value of "true" or "1", then the service MUST delete the item and
-- MUST notify all subscribers". The item is still deleted and the retract
-- answered with success, but no subscriber is notified.
--
-- How: this module is enabled on the VirtualHost (the mutant recipe adds it
-- to the global module list); once every host has started it finds the
-- component's mod_pubsub service and wraps its retract method to drop the
-- notification it is handed. Test servers only.

local function silence(service)
	if not service or service.xepspec_silent_retract then return false; end
	local retract = service.retract;
	function service:retract(node, actor, id)
		return retract(self, node, actor, id, nil);
	end
	service.xepspec_silent_retract = true;
	return true;
end

local function break_component()
	local component = prosody.hosts["pubsub." .. module.host];
	local mod_pubsub = component and component.modules and component.modules.pubsub;
	local service = mod_pubsub and mod_pubsub.get_service and mod_pubsub.get_service();
	if silence(service) then
		module:log("warn", "mutant: retractions on pubsub.%s notify nobody", module.host);
	elseif not service then
		module:log("error", "mutant: no pubsub service at pubsub.%s", module.host);
	end
end

module:hook_global("server-started", break_component);
