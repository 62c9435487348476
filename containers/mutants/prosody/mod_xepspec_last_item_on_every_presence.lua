-- mod_xepspec_last_item_on_every_presence: a deliberately broken PEP
-- service, for xepspec.
--
-- Breaks XEP-0163 §4.3.3 (MUST NOT): "any subsequent presence stanza with no
-- 'type' attribute that the PEP service receives after the initial presence
-- notification but before the subscriber against goes offline MUST NOT
-- trigger sending of a new pubsub notification." Every available presence
-- of an owner's resource is treated as initial presence: a presence update
-- (a new <show/>, the same caps) is sent the last published items again.
--
-- How: before mod_pep sees a resource's own presence update, the resource
-- is dropped from mod_pep's record of its interests (the table mod_pep hands
-- over in module.save), so mod_pep takes the update for a newly-available
-- resource. Test servers only.

local pep = module:depends("pep");

module:hook("presence/bare", function(event)
	local origin, stanza = event.origin, event.stanza;
	if stanza.attr.to or stanza.attr.type or origin.type ~= "c2s" or not origin.presence then
		return;
	end
	local api = pep.module;
	local state = api and api.save and api.save();
	local interests = state and state.recipients and state.recipients[origin.username];
	if interests then
		interests[origin.full_jid] = nil;
	end
end, 20);
