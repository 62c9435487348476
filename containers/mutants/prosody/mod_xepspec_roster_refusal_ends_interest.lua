-- mod_xepspec_roster_refusal_ends_interest: a deliberately broken roster
-- service, for xepspec.
--
-- Breaks RFC 6121 §2.2 (MUST): "The server MUST send roster pushes to all
-- interested resources." A resource that answers a request of the server
-- (a roster push among them) with an IQ error is no longer treated as an
-- interested resource: later roster pushes skip it until it requests the
-- roster again. RFC 6121 §2.1.6 lets a client answer a push with "result"
-- or "error".
--
-- How: every IQ error a client session sends clears the session's
-- 'interested' flag, which mod_roster sets on a roster get and the roster
-- manager reads before each push. Test servers only.

module:hook("pre-stanza", function(event)
	local origin, stanza = event.origin, event.stanza;
	if origin.type == "c2s" and stanza.name == "iq" and stanza.attr.type == "error" then
		origin.interested = nil;
	end
end, 20);
