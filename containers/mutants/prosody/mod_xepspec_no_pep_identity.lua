-- mod_xepspec_no_pep_identity: a deliberately broken PEP service, for
-- xepspec.
--
-- Breaks XEP-0163 §6.1 (MUST): "If the account owner's server supports PEP
-- and the account is provisioned for PEP, the server MUST return an
-- identity of "pubsub/pep" on behalf of the account", which XEP-0223 §5
-- repeats. The account's disco#info answer keeps every pubsub feature
-- (publish-options included) but loses the pubsub/pep identity; the PEP
-- service itself works as before.
--
-- How: a handler of the account-disco-info event that runs after mod_pep's
-- and takes the identity out of the reply. Test servers only.

module:depends("pep");

local xmlns_disco_info = "http://jabber.org/protocol/disco#info";

module:hook("account-disco-info", function(event)
	local query = event.reply:get_child("query", xmlns_disco_info);
	if not query then return; end
	query:maptags(function(tag)
		if tag.name == "identity" and tag.attr.category == "pubsub"
		and tag.attr.type == "pep" then
			return nil;
		end
		return tag;
	end);
end, -10);
