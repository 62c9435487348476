-- mod_xepspec_private_merge: a deliberately broken private XML store, for
-- xepspec.
--
-- Breaks XEP-0173 §4.2 "Due to the nature of XEP-0049, incremental updates
-- are not possible; a client MUST send the entire <subscriptions/> node for
-- each update." on the server side it presumes (XEP-0049 §2.1: a set stores
-- the element, a get returns it): a jabber:iq:private set for an element
-- that is already stored is merged into it, the new element's children
-- appended to the stored ones, instead of replacing it. A first set, gets,
-- storage:bookmarks and requests to other accounts are left to mod_private
-- and mod_bookmarks.
--
-- How: a handler on iq/bare/jabber:iq:private:query above mod_bookmarks'
-- (priority 1), for sets a user sends to their own account (the stanza
-- router clears 'to' on those).
-- It only makes sense on a test server.

module:depends("private");

local st = require "prosody.util.stanza";

local store = module:open_store("private", "map");

module:hook("iq/bare/jabber:iq:private:query", function(event)
	local stanza, origin = event.stanza, event.origin;
	if stanza.attr.type ~= "set" or stanza.attr.to ~= nil then return; end
	local query = stanza.tags[1];
	local tag = query and query.tags[1];
	if #query.tags ~= 1 or tag.attr.xmlns == "storage:bookmarks" then return; end
	local key = tag.name .. ":" .. tag.attr.xmlns;
	local stored = store:get(origin.username, key);
	if not stored then return; end
	local merged = st.deserialize(stored);
	for child in tag:childtags() do
		merged:add_child(st.clone(child));
	end
	store:set(origin.username, key, st.preserialize(merged));
	module:log("debug", "merged a set of %s into the stored element", key);
	origin.send(st.reply(stanza));
	return true;
end, 10);
