-- mod_xepspec_bookmarks_no_compat: a deliberately broken bookmarks store,
-- for xepspec.
--
-- Breaks XEP-0402 §5.3 "A server that supports unifying bookmarks from
-- XEP-0049 and XEP-0402 SHOULD announce the "urn:xmpp:bookmarks:1#compat"
-- feature on the account." from the other side: the account still
-- announces urn:xmpp:bookmarks:1#compat, but XEP-0049 bookmarks
-- (storage:bookmarks in jabber:iq:private) are no longer unified with
-- Bookmarks 2. They are kept as plain private XML: a set stores the
-- element, a get returns it, and neither reads nor writes the
-- 'urn:xmpp:bookmarks:1' node (so both conversions are gone: §5.3.1's
-- casting of the items into 'storage:bookmarks' and §5.3.2's update of
-- the items from a replacement list). Bookmarks 2 itself, and every other private XML
-- namespace, are unchanged.
--
-- How: a handler on iq/bare/jabber:iq:private:query above mod_bookmarks'
-- (priority 1), for storage:bookmarks requests a user sends to their own
-- account (the stanza router clears 'to' on those). The element is kept
-- under a key of its own, not the one mod_bookmarks migrates at login.
-- It only makes sense on a test server.

module:depends("bookmarks");

local st = require "prosody.util.stanza";

local store = module:open_store("private", "map");
local key = "xepspec-unconverted:storage:bookmarks";

module:hook("iq/bare/jabber:iq:private:query", function(event)
	local stanza, origin = event.stanza, event.origin;
	if stanza.attr.to ~= nil then return; end
	local query = stanza.tags[1];
	local tag = query and query.tags[1];
	if #query.tags ~= 1 or tag.name ~= "storage" or tag.attr.xmlns ~= "storage:bookmarks" then
		return;
	end
	if stanza.attr.type == "set" then
		store:set(origin.username, key, st.preserialize(tag));
		origin.send(st.reply(stanza));
	else
		local data = store:get(origin.username, key);
		origin.send(st.reply(stanza):query("jabber:iq:private")
			:add_child(data and st.deserialize(data) or st.clone(tag)));
	end
	return true;
end, 10);
