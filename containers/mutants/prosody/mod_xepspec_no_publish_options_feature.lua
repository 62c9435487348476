-- mod_xepspec_no_publish_options_feature: a deliberately broken PEP
-- service, for xepspec.
--
-- Breaks XEP-0223 §5 (MUST): "The server MUST return an identity of
-- "pubsub/pep" and include the "publish-options" feature in the list of the
-- namespaces and other features it supports". The account's disco#info
-- answer no longer lists http://jabber.org/protocol/pubsub#publish-options;
-- the service still honours publish-options (so cases that require the
-- feature grade `unsupported`, not fail, and the one that checks the
-- advertisement fails).
--
-- How: a handler of the account-disco-info event that runs after mod_pep's
-- and takes the feature out of the reply. Test servers only.

module:depends("pep");

local xmlns_disco_info = "http://jabber.org/protocol/disco#info";
local publish_options = "http://jabber.org/protocol/pubsub#publish-options";

module:hook("account-disco-info", function(event)
	local query = event.reply:get_child("query", xmlns_disco_info);
	if not query then return; end
	query:maptags(function(tag)
		if tag.name == "feature" and tag.attr.var == publish_options then
			return nil;
		end
		return tag;
	end);
end, -10);
