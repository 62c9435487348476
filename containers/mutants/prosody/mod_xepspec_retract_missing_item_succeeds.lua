-- mod_xepspec_retract_missing_item_succeeds: a deliberately broken PEP
-- service, for xepspec.
--
-- Breaks XEP-0060 §7.2.3.2 (MUST): "If the node or item does not exist, the
-- service MUST return an <item-not-found/> error." When the node exists but
-- the item does not, the retract is answered with success (nothing is
-- deleted, nobody is notified). A retract on a node that does not exist
-- still fails with <item-not-found/>, and access control is untouched.
--
-- How: wraps the retract method of every account's PEP service (announced
-- by mod_pep as a "pep-service" item). Test servers only.

module:depends("pep");

local function lenient_retract(event)
	local service = event.item and event.item.service;
	if not service then return; end
	local retract = service.retract;
	function service:retract(node, actor, id, notifier)
		local ok, err = retract(self, node, actor, id, notifier);
		if not ok and err == "item-not-found" and self.nodes[node] then
			return true;
		end
		return ok, err;
	end
end

module:handle_items("pep-service", lenient_retract, function() end);
