-- mod_xepspec_private_leak_other: a deliberately broken private XML store,
-- for xepspec.
--
-- Breaks XEP-0049 §2.3 "If a user attempts to get or set jabber:iq:private
-- data that belongs to another user, the server MUST return a "Forbidden" or
-- "Service Unavailable" error to the sender", for gets only: a
-- jabber:iq:private get addressed to another user's bare JID is answered
-- with that user's stored element (or an empty query when there is none),
-- as if the requester owned it. Sets to another user, and everything a user
-- sends to their own account, are left to mod_private and mod_bookmarks.
-- storage:bookmarks is left alone too (mod_bookmarks answers it from PEP).
--
-- How: a handler on iq/bare/jabber:iq:private:query above mod_bookmarks'
-- (priority 1). The stanza router clears 'to' on a stanza a user sends to
-- their own bare JID, so a 'to' left on the stanza names another account.
-- It only makes sense on a test server.

module:depends("private");

local st = require "prosody.util.stanza";
local jid = require "prosody.util.jid";

local store = module:open_store("private", "map");

module:hook("iq/bare/jabber:iq:private:query", function(event)
	local stanza = event.stanza;
	if stanza.attr.type ~= "get" or stanza.attr.to == nil then return; end
	local query = stanza.tags[1];
	local tag = query and query.tags[1];
	if #query.tags ~= 1 or tag.attr.xmlns == "storage:bookmarks" then return; end
	local owner = jid.node(stanza.attr.to);
	local data = store:get(owner, tag.name .. ":" .. tag.attr.xmlns);
	local reply = st.reply(stanza):query("jabber:iq:private");
	reply:add_child(data and st.deserialize(data) or st.clone(tag));
	module:log("debug", "leaking %s's %s to %s", owner, tag.attr.xmlns, stanza.attr.from);
	event.origin.send(reply);
	return true;
end, 10);
