-- mod_xepspec_legacy_pep_no_push: a deliberately broken bookmarks store,
-- for xepspec.
--
-- Breaks XEP-0048 §3.2 "The stored data is automatically pushed to all of
-- the user's connected resources.": bookmarks published to the XEP-0048 PEP
-- node 'storage:bookmarks' are stored and returned as before, but no
-- resource is sent a notification for that node. Notifications of every
-- other node, Bookmarks 2 ('urn:xmpp:bookmarks:1') included, are unchanged.
--
-- How: mod_bookmarks pushes the XEP-0048 view of the bookmarks through the
-- account's PEP service broadcast; this module wraps each service
-- (announced as a "pep-service" item) so that a broadcast for node
-- 'storage:bookmarks' sends nothing.
-- It only makes sense on a test server.

module:depends("bookmarks");

local legacy = "storage:bookmarks";

local function no_push(event)
	local service = event.item and event.item.service;
	if not service then return; end
	local broadcast = service.broadcast;
	service.broadcast = function(self, kind, node, ...)
		if node == legacy then
			module:log("debug", "dropped a %s notification of %s", tostring(kind), legacy);
			return;
		end
		return broadcast(self, kind, node, ...);
	end
end

module:handle_items("pep-service", no_push, function() end);
