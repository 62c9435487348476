-- mod_xepspec_messages_reordered: a deliberately broken server, for xepspec.
--
-- Breaks RFC 6120 §10.1: "An XMPP server MUST ensure in-order processing of
-- the stanzas and other XML elements it receives over a given input stream
-- from a connected client or remote server." A chat message with a body
-- from one full JID to another full JID is held back until the next such
-- message between the same two arrives; then the later one is delivered
-- first and the held one after it. (A held message with no successor is
-- never delivered.)
--
-- How: a high-priority "message/full" hook that holds the first message of
-- each sender/recipient pair and, on the second, delivers both in reverse
-- order through module:send, marking them so that the hook lets them pass.
-- Test servers only.

local held = {};
local released = setmetatable({}, { __mode = "k" });

local function reorder(event)
	local stanza = event.stanza;
	if released[stanza] or stanza.attr.type ~= "chat" or not stanza:get_child("body") then
		return;
	end
	local pair = tostring(stanza.attr.from) .. " " .. tostring(stanza.attr.to);
	local earlier = held[pair];
	if not earlier then
		held[pair] = stanza;
		return true;
	end
	held[pair] = nil;
	released[stanza] = true;
	released[earlier] = true;
	module:send(stanza);
	module:send(earlier);
	return true;
end

module:hook("message/full", reorder, 1000);
