-- Argo CD health of a Runway Application, from its kstatus-style status:
-- observedGeneration behind metadata.generation: Progressing (the operator has not acted yet);
-- Stalled=True: Degraded (a human must act; the message says what);
-- phase AwaitingPromotion: Suspended (a blue-green preview waits for runway.dev/promote);
-- Ready=True: Healthy; Reconciling=True or no verdict yet: Progressing; Ready=False otherwise: Degraded.
local hs = {}
local status = obj.status
if status == nil or status.observedGeneration == nil then
  hs.status = "Progressing"
  hs.message = "Waiting for the Runway operator to report status"
  return hs
end
if obj.metadata.generation ~= nil and status.observedGeneration < obj.metadata.generation then
  hs.status = "Progressing"
  hs.message = "Waiting for the Runway operator to act on generation " .. obj.metadata.generation
  return hs
end
local conditions = {}
if status.conditions ~= nil then
  for _, c in ipairs(status.conditions) do
    conditions[c.type] = c
  end
end
local function isTrue(kind)
  return conditions[kind] ~= nil and conditions[kind].status == "True"
end
local function message(kind)
  local c = conditions[kind]
  if c == nil then return "" end
  if c.message ~= nil and c.message ~= "" then return c.message end
  return c.reason or ""
end
if isTrue("Stalled") then
  hs.status = "Degraded"
  hs.message = message("Stalled")
  return hs
end
if status.phase == "AwaitingPromotion" then
  hs.status = "Suspended"
  hs.message = message("Reconciling")
  return hs
end
if isTrue("Ready") then
  hs.status = "Healthy"
  hs.message = message("Ready")
  return hs
end
if isTrue("Reconciling") or conditions["Ready"] == nil or conditions["Ready"].status ~= "False" then
  hs.status = "Progressing"
  hs.message = message("Reconciling")
  if hs.message == "" then hs.message = message("Ready") end
  return hs
end
hs.status = "Degraded"
hs.message = message("Ready")
return hs
