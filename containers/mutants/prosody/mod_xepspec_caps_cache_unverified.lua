-- mod_xepspec_caps_cache_unverified: a deliberately broken caps-processing
-- server, for xepspec.
--
-- Breaks XEP-0115 §5.4 (MUST NOT): "If the values of the received and
-- reconstructed hashes do not match, the processing application MUST
-- consider the result to be invalid and MUST NOT globally cache the
-- verification string". The first answer a client gives about its
-- node#ver is cached for that ver whether it hashes to it or not: another
-- resource that later advertises the same ver is not asked, and its
-- +notify interests are taken from the cached answer.
--
-- How: the +notify interests of each client answer to mod_pep's caps query
-- are kept by the ver its node names. When an owner's resource then sends
-- available presence with such a ver, those interests are written into
-- mod_pep's record of the resource (the table mod_pep hands over in
-- module.save), and mod_pep's caps query to it is dropped on its way out.
-- Test servers only.

local filters = require "prosody.util.filters";
local set = require "prosody.util.set";

local pep = module:depends("pep");

local CAPS = "http://jabber.org/protocol/caps";
local DISCO_INFO = "http://jabber.org/protocol/disco#info";

local by_ver = {}; -- ver -> set of +notify namespaces, as first answered
local unasked = {}; -- full JIDs whose next caps query is dropped

module:hook("iq-result/bare/disco", function(event)
	local query = event.stanza:get_child("query", DISCO_INFO);
	local ver = query and query.attr.node and query.attr.node:match("#([^#]+)$");
	if not ver or by_ver[ver] then return; end
	local notify = set.new();
	for feature in query:childtags("feature") do
		local namespace = feature.attr.var and feature.attr.var:match("^(.*)%+notify$");
		if namespace then notify:add(namespace); end
	end
	by_ver[ver] = notify;
end, 20);

module:hook("presence/bare", function(event)
	local origin, stanza = event.origin, event.stanza;
	if stanza.attr.to or stanza.attr.type or origin.type ~= "c2s" then return; end
	local c = stanza:get_child("c", CAPS);
	local cached = c and c.attr.ver and by_ver[c.attr.ver];
	local api = pep.module;
	local state = api and api.save and api.save();
	if not (cached and state and state.recipients) then return; end
	local interests = state.recipients[origin.username] or {};
	state.recipients[origin.username] = interests;
	interests[origin.full_jid] = cached;
	unasked[origin.full_jid] = true;
end, 20);

local function drop_caps_query(stanza, session)
	if stanza.name == "iq" and stanza.attr.type == "get" and stanza.attr.id == "disco"
		and session.full_jid and unasked[session.full_jid] then
		unasked[session.full_jid] = nil;
		return nil;
	end
	return stanza;
end

local function on_session(session)
	filters.add_filter(session, "stanzas/out", drop_caps_query);
end

filters.add_filter_hook(on_session);

function module.unload()
	filters.remove_filter_hook(on_session);
end
