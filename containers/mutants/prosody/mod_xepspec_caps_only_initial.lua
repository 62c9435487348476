-- mod_xepspec_caps_only_initial: a deliberately broken PEP service, for
-- xepspec.
--
-- Breaks XEP-0163 §4.2 (MUST): "A PEP service MUST support the
-- "filtered-notifications" feature defined in Section 9.2 of XEP-0060."
-- The service reads a resource's XEP-0115 caps from its initial presence
-- only: a later presence update that changes the caps (a new +notify
-- interest, one dropped) changes nothing, so the resource goes on being
-- filtered by the interests it had when it came online.
--
-- How: before mod_pep sees a resource's own available presence, the caps
-- element is taken out when the resource is already available (mod_pep then
-- keeps what it knew: "no caps, could mean caps optimization"). Initial
-- presence, also after unavailable presence, keeps its caps. Test servers
-- only.

module:depends("pep");

local CAPS = "http://jabber.org/protocol/caps";

module:hook("presence/bare", function(event)
	local origin, stanza = event.origin, event.stanza;
	if stanza.attr.to or stanza.attr.type or origin.type ~= "c2s" or not origin.presence then
		return;
	end
	stanza:maptags(function(tag)
		if tag.name == "c" and tag.attr.xmlns == CAPS then
			return nil;
		end
		return tag;
	end);
end, 20);
