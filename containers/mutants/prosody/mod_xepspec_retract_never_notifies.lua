-- mod_xepspec_retract_never_notifies: a deliberately broken PEP service,
-- for xepspec.
--
-- Breaks XEP-0060 §7.2.2.1 (MUST): "If no error occurs and the <retract/>
-- element included a 'notify' attribute with a value of "true" or "1", then
-- the service MUST delete the item and MUST notify all subscribers". The
-- item is still deleted and the retract still answered with success, but no
-- retraction notification is ever sent, whatever 'notify' says.
--
-- How: wraps the retract method of every account's PEP service (announced
-- by mod_pep as a "pep-service" item) and drops the notification it is
-- handed. Test servers only.

module:depends("pep");

local function silent_retract(event)
	local service = event.item and event.item.service;
	if not service then return; end
	local retract = service.retract;
	function service:retract(node, actor, id)
		return retract(self, node, actor, id, nil);
	end
end

module:handle_items("pep-service", silent_retract, function() end);
