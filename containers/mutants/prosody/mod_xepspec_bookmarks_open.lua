-- mod_xepspec_bookmarks_open: a deliberately broken bookmarks store, for
-- xepspec.
--
-- Breaks XEP-0402 §3.3 "This is especially important to avoid leaking your
-- bookmarks to your contacts for instance." (the reason the bookmarks node
-- MUST be whitelisted): any entity may retrieve the items of a user's
-- 'urn:xmpp:bookmarks:1' node, as if its access model were open. The node's
-- configuration still reads whitelist, so publish-options preconditions,
-- publishing, retraction and notifications behave as before.
--
-- How: mod_pep announces each account's pubsub service as a "pep-service"
-- item; this module wraps that service's permission check so that
-- get_items on the bookmarks node is always allowed.
-- It only makes sense on a test server.

module:depends("pep");

local bookmarks = "urn:xmpp:bookmarks:1";

local function open_bookmarks(event)
	local service = event.item and event.item.service;
	if not service then return; end
	local may = service.may;
	service.may = function(self, node, actor, action)
		if node == bookmarks and action == "get_items" then
			return true;
		end
		return may(self, node, actor, action);
	end
end

module:handle_items("pep-service", open_bookmarks, function() end);
