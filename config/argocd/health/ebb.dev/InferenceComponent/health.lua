-- Argo CD health check for ebb.dev/InferenceComponent.
-- Reads the conditions Ebb writes (docs/status.md): Ready, Reconciling, Stalled, ScaledToZero.
-- Same rules as the InferenceEndpoint and ScalingPolicy checks, plus Suspended, and Degraded for
-- Ready's reason CopiesFailing.
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
local scaledToZero = condition(conditions, "ScaledToZero")
local ready = condition(conditions, "Ready")

-- Only a spec change can help: SageMaker failed it, rejected a request, or it cannot be placed.
if isTrue(stalled) then
  hs.status = "Degraded"
  hs.message = messageOf(stalled)
  return hs
end
-- Backend local: a copy keeps failing (its model fetch or model server is restarted with
-- back-off, or its image cannot be pulled). Kubelet keeps retrying, so it is not Stalled, but it
-- will not get better until someone fixes the data or the image; Reconciling is True meanwhile, so
-- this comes before Progressing. Also while another copy serves (Ready True): one keeps failing.
if ready ~= nil and ready.reason == "CopiesFailing" then
  hs.status = "Degraded"
  hs.message = messageOf(ready)
  return hs
end
-- SageMaker or Ebb is changing it, copies are starting, or an AWS call is being retried.
if isTrue(reconciling) then
  hs.status = "Progressing"
  hs.message = messageOf(reconciling)
  return hs
end
-- Backend local: no copy runs, by choice (spec.copies 0 or a ScalingPolicy); the next request
-- starts one. Ready is True too, so this comes before Healthy.
if isTrue(scaledToZero) then
  hs.status = "Suspended"
  hs.message = messageOf(scaledToZero)
  return hs
end
if isTrue(ready) then
  hs.status = "Healthy"
  hs.message = messageOf(ready)
  return hs
end
-- Not ready, but neither stalled nor changing: waiting for something else, e.g. its endpoint
-- (EndpointNotFound, EndpointNotReady).
hs.status = "Progressing"
if ready ~= nil then
  hs.message = messageOf(ready)
else
  hs.message = "Waiting for the Ready condition"
end
return hs
