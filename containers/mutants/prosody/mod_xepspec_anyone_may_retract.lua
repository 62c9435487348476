-- mod_xepspec_anyone_may_retract: a deliberately broken PEP service, for
-- xepspec.
--
-- Breaks XEP-0060 §7.2.3.1 (MUST): "If the requesting entity does not have
-- sufficient privileges to delete the item, the service MUST return a
-- <forbidden/> error." Any entity, affiliated or not, may retract any item
-- from any account's PEP nodes. Publishing, retrieval and every other
-- permission are unchanged.
--
-- How: wraps the retract method of every account's PEP service (announced
-- by mod_pep as a "pep-service" item) and runs it with the service's own
-- privileges. Test servers only.

module:depends("pep");

local function open_retract(event)
	local service = event.item and event.item.service;
	if not service then return; end
	local retract = service.retract;
	function service:retract(node, _, id, notifier)
		return retract(self, node, true, id, notifier);
	end
end

module:handle_items("pep-service", open_retract, function() end);
