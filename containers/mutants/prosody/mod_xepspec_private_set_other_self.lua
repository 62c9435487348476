-- mod_xepspec_private_set_other_self: a deliberately broken private XML
-- store, for xepspec.
--
-- Breaks XEP-0049 §2.3 "If a user attempts to get or set jabber:iq:private
-- data that belongs to another user, the server MUST return a "Forbidden" or
-- "Service Unavailable" error to the sender" in its meaning, not its
-- wording: a jabber:iq:private set addressed to another user's bare JID is
-- answered with <forbidden/> as required, but the element is stored anyway,
-- in the sender's own storage (an error reply that still performs the
-- request, RFC 6120 §8.3). The other user's data is untouched, and gets,
-- storage:bookmarks and everything a user sends to their own account are
-- left to mod_private and mod_bookmarks.
--
-- How: a handler on iq/bare/jabber:iq:private:query above mod_bookmarks'
-- (priority 1). The stanza router clears 'to' on a stanza a user sends to
-- their own bare JID, so a 'to' left on the stanza names another account.
-- It only makes sense on a test server.

module:depends("private");

local st = require "prosody.util.stanza";

local store = module:open_store("private", "map");

module:hook("iq/bare/jabber:iq:private:query", function(event)
	local stanza, origin = event.stanza, event.origin;
	if stanza.attr.type ~= "set" or stanza.attr.to == nil then return; end
	local query = stanza.tags[1];
	local tag = query and query.tags[1];
	if #query.tags ~= 1 or tag.attr.xmlns == "storage:bookmarks" then return; end
	store:set(origin.username, tag.name .. ":" .. tag.attr.xmlns, st.preserialize(tag));
	module:log("debug", "set to %s stored in %s's own storage", stanza.attr.to, origin.username);
	origin.send(st.error_reply(stanza, "cancel", "forbidden"));
	return true;
end, 10);
