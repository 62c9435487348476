-- mod_xepspec_bookmarks_send_last: a deliberately broken bookmarks store,
-- for xepspec.
--
-- Breaks XEP-0402 §3.3 "publish-options (as defined in XEP-0060) MUST be
-- supported by the server in order to check that the node is correctly
-- configured before publishing a new conference." as far as the option
-- pubsub#send_last_published_item=never goes: the node is configured as
-- asked, and publish-options checks still pass, but a resource that comes
-- online with urn:xmpp:bookmarks:1+notify is sent the last bookmark
-- anyway, as if the node said on_sub_and_presence.
--
-- How: mod_pep sends the last item to a new interested resource only when
-- the node's configuration, read with the service's own authority (actor
-- true), says on_sub_and_presence. This module wraps each account's
-- service (announced as a "pep-service" item) so that that internal read
-- reports on_sub_and_presence for the bookmarks node; what the owner reads
-- or sets, and the preconditions of publish-options, are unchanged.
-- It only makes sense on a test server.

module:depends("pep");

local bookmarks = "urn:xmpp:bookmarks:1";

local function send_last(event)
	local service = event.item and event.item.service;
	if not service then return; end
	local get_node_config = service.get_node_config;
	service.get_node_config = function(self, node, actor)
		local ok, config = get_node_config(self, node, actor);
		if ok and node == bookmarks and actor == true then
			local changed = {};
			for k, v in pairs(config) do changed[k] = v; end
			changed.send_last_published_item = "on_sub_and_presence";
			return ok, changed;
		end
		return ok, config;
	end
end

module:handle_items("pep-service", send_last, function() end);
