-- mod_xepspec_private_set_other: a deliberately broken private XML store,
-- for xepspec.
--
-- Breaks XEP-0049 §4 "A server MUST NOT allow any entity other than an
-- authorized resource of the user to create, update, or delete private XML
-- stored on behalf of that user": a jabber:iq:private set addressed to
-- another user's bare JID replaces that user's stored element and is
-- answered with a result. Accepting such a set cannot go without also
-- breaking §2.3 "the server MUST return a "Forbidden" or "Service
-- Unavailable" error to the sender", so that statement breaks too
-- (private-set-other-self breaks it alone). Gets to another user, and
-- everything a user sends to their own account, are left to mod_private
-- and mod_bookmarks; storage:bookmarks is left alone too.
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
	if stanza.attr.type ~= "set" or stanza.attr.to == nil then return; end
	local query = stanza.tags[1];
	local tag = query and query.tags[1];
	if #query.tags ~= 1 or tag.attr.xmlns == "storage:bookmarks" then return; end
	local owner = jid.node(stanza.attr.to);
	store:set(owner, tag.name .. ":" .. tag.attr.xmlns, st.preserialize(tag));
	module:log("debug", "%s overwrote %s's %s", stanza.attr.from, owner, tag.attr.xmlns);
	event.origin.send(st.reply(stanza));
	return true;
end, 10);
