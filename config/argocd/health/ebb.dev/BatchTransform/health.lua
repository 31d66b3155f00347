-- Argo CD health check for ebb.dev/BatchTransform.
-- Reads the conditions Ebb writes (docs/status.md): Ready, Reconciling, Stalled.
-- Healthy once the job completed (Ready); Degraded when it failed or was stopped (Stalled):
-- only a new BatchTransform runs it again. Progressing while it starts and runs.
local hs = {}

local function condition(conditions, type)
  for _, c in ipairs(conditions or {}) do
    if c.type == type then
      return c
    end
  end
  return nil
end

local function isTrue(c)
  return c ~= nil and c.status == "True"
end

local function messageOf(c)
  if c.message ~= nil and c.message ~= "" then
    return c.message
  end
  return c.reason
end

-- Just created: Ebb has not written a status yet.
if obj.status == nil then
  hs.status = "Progressing"
  hs.message = "Waiting for Ebb to report status"
  return hs
end
-- A status from an older generation says nothing about the current spec (a Stalled left from
-- the previous spec must not show as Degraded).
local generation = obj.metadata.generation
local observed = obj.status.observedGeneration
if observed == nil or (generation ~= nil and observed < generation) then
  hs.status = "Progressing"
  hs.message = "Waiting for Ebb to observe generation " .. tostring(generation)
  return hs
end

local conditions = obj.status.conditions
local stalled = condition(conditions, "Stalled")
local reconciling = condition(conditions, "Reconciling")
local ready = condition(conditions, "Ready")

-- The job failed or was stopped, or AWS refused it (no role, a rejected request, tenancy):
-- nothing but a new object helps.
if isTrue(stalled) then
  hs.status = "Degraded"
  hs.message = messageOf(stalled)
  return hs
end
-- Starting or running, or an AWS call is being retried.
if isTrue(reconciling) then
  hs.status = "Progressing"
  hs.message = messageOf(reconciling)
  return hs
end
if isTrue(ready) then
  hs.status = "Healthy"
  hs.message = messageOf(ready)
  return hs
end
-- Not ready, but neither stalled nor changing.
hs.status = "Progressing"
if ready ~= nil then
  hs.message = messageOf(ready)
else
  hs.message = "Waiting for the Ready condition"
end
return hs
