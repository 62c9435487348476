-- mod_xepspec_no_last_item_on_presence: a deliberately broken PEP service,
-- for xepspec.
--
-- Breaks XEP-0163 §4.3.4 (MUST): "a PEP service MUST send the last published
-- item to all new subscribers and to all newly-available resources for each
-- subscriber, including the account owner itself." The service never finds
-- a last published item to send: a resource that becomes available (or an
-- entity that subscribes) gets nothing until the next publish. Items stay
-- stored and retrievable, and new publishes are notified as before.
--
-- How: wraps the method that looks up a node's last item on every
-- account's PEP service (announced by mod_pep as a "pep-service" item); it
-- is only used to send the last item on presence and on subscription.
-- Test servers only.

module:depends("pep");

local function forgetful(event)
	local service = event.item and event.item.service;
	if not service then return; end
	local get_last_item = service.get_last_item;
	function service:get_last_item(node, actor)
		local ok, err = get_last_item(self, node, actor);
		if not ok then return ok, err; end
		return true, nil;
	end
end

module:handle_items("pep-service", forgetful, function() end);
