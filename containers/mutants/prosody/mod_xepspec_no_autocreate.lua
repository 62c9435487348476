-- mod_xepspec_no_autocreate: a deliberately broken PEP service, for xepspec.
--
-- Breaks XEP-0163 §3 "This 'auto-create' feature (defined in XEP-0060) MUST
-- be supported by a PEP service" (repeated by XEP-0223 §3), and nothing
-- else: every account's PEP service is switched to the behaviour XEP-0060
-- §7.1.3.3 prescribes for a service that does not support auto-create. A
-- publish to a node that does not exist yet is answered with
-- <item-not-found/> (type cancel) and creates nothing; nodes made with an
-- explicit create, or by the server itself (mod_bookmarks at bind), work as
-- before. Because the service no longer auto-creates, it no longer
-- advertises pubsub#auto-create either (XEP-0060 §7.1.4 ties the feature to
-- its advertisement).
--
-- How: mod_pep announces each account's pubsub service as a "pep-service"
-- item when it makes it; this module turns that service's
-- autocreate_on_publish option off before the service handles anything.
-- It only makes sense on a test server.

module:depends("pep");

local function no_autocreate(event)
	local service = event.item and event.item.service;
	if service and service.config then
		service.config.autocreate_on_publish = false;
		module:log("debug", "auto-create switched off for %s", tostring(event.item.jid));
	end
end

module:handle_items("pep-service", no_autocreate, function() end);
