-- mod_xepspec_numeric_booleans_refused: a deliberately broken PEP service,
-- for xepspec.
--
-- Breaks XEP-0060 §7.1.5 (MUST) "If the node exists and the precondition is
-- met, then the publish succeeds." for booleans written "1" or "0": XEP-0060
-- §6.3.1 requires the boolean fields of its forms to be handled as
-- xs:boolean, whose lexical forms are "true"/"1" and "false"/"0"
-- (BOOLEANNOTE: "implementations MUST support both styles"). This service
-- only accepts "true" and "false" in a publish-options form: a boolean
-- field given as "1" or "0" makes the publish fail with <bad-request/>
-- (modify), whatever the node's configuration. Everything else (retract's
-- notify attribute, node configuration forms) is untouched.
--
-- How: a handler on the pubsub IQ event that runs before mod_pep's and
-- answers such a publish itself. Test servers only.

module:depends("pep");

local st = require "prosody.util.stanza";

local xmlns_pubsub = "http://jabber.org/protocol/pubsub";
local publish_options_type = xmlns_pubsub .. "#publish-options";

-- The boolean fields of XEP-0060's node configuration form.
local boolean_fields = {
	["pubsub#deliver_notifications"] = true;
	["pubsub#deliver_payloads"] = true;
	["pubsub#notify_config"] = true;
	["pubsub#notify_delete"] = true;
	["pubsub#notify_retract"] = true;
	["pubsub#notify_sub"] = true;
	["pubsub#persist_items"] = true;
	["pubsub#presence_based_delivery"] = true;
	["pubsub#purge_offline"] = true;
	["pubsub#subscribe"] = true;
};

local function numeric_boolean(form)
	local form_type;
	local numeric;
	for field in form:childtags("field") do
		local value = field:get_child_text("value");
		if field.attr.var == "FORM_TYPE" then
			form_type = value;
		elseif boolean_fields[field.attr.var] and (value == "1" or value == "0") then
			numeric = field.attr.var;
		end
	end
	if form_type == publish_options_type then
		return numeric;
	end
end

module:hook("iq/bare/" .. xmlns_pubsub .. ":pubsub", function(event)
	local stanza = event.stanza;
	if stanza.attr.type ~= "set" then return; end
	local options = stanza.tags[1]:get_child("publish-options");
	local form = options and options:get_child("x", "jabber:x:data");
	local field = form and numeric_boolean(form);
	if field then
		event.origin.send(st.error_reply(stanza, "modify", "bad-request",
			"Not a boolean: " .. field));
		return true;
	end
end, 10);
