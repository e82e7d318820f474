-- promote and abort act on a blue-green preview, so they are offered only while one exists.
local actions = {}
local awaiting = obj.status ~= nil and obj.status.phase == "AwaitingPromotion"
local previewing = obj.status ~= nil and obj.status.previewImage ~= nil
actions["promote"] = {["disabled"] = not awaiting}
actions["abort"] = {["disabled"] = not previewing}
return actions
