-- mod_xepspec_publish_result_with_payload: a deliberately broken PEP
-- service, for xepspec.
--
-- Breaks XEP-0060 §7.1.2 (SHOULD): "If the publish request did not include
-- an ItemID, the IQ-result SHOULD include an empty <item/> element that
-- specifies the ItemID of the published item." The result's <item/> still
-- names the ItemID, but is no longer empty: it carries a copy of the
-- payload that was published. The item is stored and notified as before.
--
-- How: an incoming stanza filter on each client session remembers, by IQ
-- id, the payload of each publish; an outgoing filter puts that copy into
-- the <item/> of the matching IQ result. Test servers only.

module:depends("pep");

local st = require "prosody.util.stanza";

local xmlns_pubsub = "http://jabber.org/protocol/pubsub";

local function published_item(stanza)
	local pubsub = stanza:get_child("pubsub", xmlns_pubsub);
	local publish = pubsub and pubsub:get_child("publish");
	return publish and publish:get_child("item");
end

local function remember_payload(stanza, session)
	if stanza.name == "iq" and stanza.attr.type == "set" and stanza.attr.id then
		local item = published_item(stanza);
		local payload = item and item.tags[1];
		if payload then
			session.xepspec_payloads = session.xepspec_payloads or {};
			session.xepspec_payloads[stanza.attr.id] = st.clone(payload);
		end
	end
	return stanza;
end

local function echo_payload(stanza, session)
	local payloads = session.xepspec_payloads;
	if payloads and stanza.name == "iq" and stanza.attr.type == "result" then
		local payload = payloads[stanza.attr.id];
		payloads[stanza.attr.id] = nil;
		local item = payload and published_item(stanza);
		if item then
			item:add_child(payload);
		end
	end
	return stanza;
end

module:require("xepspec_filters").filters_on_client_sessions({
	["stanzas/in"] = remember_payload,
	["stanzas/out"] = echo_payload,
});
