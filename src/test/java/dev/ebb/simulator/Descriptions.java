package dev.ebb.simulator;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.HexFormat;

/** Renders stored resources as SageMaker's Describe* and List* outputs. */
final class Descriptions {
  private Descriptions() {}

  /** A whole region as the admin API dumps it: every Describe* output, with its tags. */
  static ObjectNode region(RegionStore store) {
    ObjectNode out = Json.object();
    ArrayNode models = out.putArray("Models");
    store.models.values().forEach(m -> models.add(withTags(model(m), m)));
    ArrayNode configs = out.putArray("EndpointConfigs");
    store.endpointConfigs.values().forEach(c -> configs.add(withTags(endpointConfig(c), c)));
    ArrayNode endpoints = out.putArray("Endpoints");
    store.endpoints.values().forEach(e -> endpoints.add(withTags(endpoint(store, e), e)));
    ArrayNode components = out.putArray("InferenceComponents");
    store.components.values().forEach(c -> components.add(withTags(component(c), c)));
    ArrayNode jobs = out.putArray("TransformJobs");
    store.transformJobs.values().forEach(j -> jobs.add(withTags(transformJob(j), j)));
    return out;
  }

  private static ObjectNode withTags(ObjectNode description, Stored resource) {
    description.set("Tags", Json.tags(resource.tags));
    return description;
  }

  static ObjectNode model(StoredModel m) {
    ObjectNode out = m.request.deepCopy();
    out.put("ModelArn", m.arn);
    out.put("CreationTime", Json.epochSeconds(m.creationTime));
    return out;
  }

  static ObjectNode modelSummary(StoredModel m) {
    ObjectNode out = Json.object().put("ModelName", m.name).put("ModelArn", m.arn);
    return out.put("CreationTime", Json.epochSeconds(m.creationTime));
  }

  static ObjectNode endpointConfig(StoredEndpointConfig c) {
    ObjectNode out = c.request.deepCopy();
    out.put("EndpointConfigArn", c.arn);
    out.put("CreationTime", Json.epochSeconds(c.creationTime));
    return out;
  }

  static ObjectNode endpointConfigSummary(StoredEndpointConfig c) {
    ObjectNode out = Json.object().put("EndpointConfigName", c.name);
    out.put("EndpointConfigArn", c.arn);
    return out.put("CreationTime", Json.epochSeconds(c.creationTime));
  }

  static ObjectNode endpoint(RegionStore region, StoredEndpoint e) {
    ObjectNode out = endpointSummary(e);
    out.put("EndpointConfigName", e.configName);
    if (e.failureReason != null) {
      out.put("FailureReason", e.failureReason);
    }
    // Until creation succeeds there is no fleet, and SageMaker shows no variants.
    if (!e.variants.isEmpty()) {
      ArrayNode variants = out.putArray("ProductionVariants");
      e.variants.values().forEach(v -> variants.add(variant(region, e, v)));
    }
    ObjectNode capture = Json.child(e.config, "DataCaptureConfig");
    if (capture != null) {
      out.set("DataCaptureConfig", captureSummary(capture));
    }
    copy(e.config, out, "AsyncInferenceConfig");
    copy(e.config, out, "ExplainerConfig");
    if (e.lastDeploymentConfig != null) {
      out.set("LastDeploymentConfig", e.lastDeploymentConfig);
    }
    if (e.pendingConfigName != null) {
      ObjectNode pending = out.putObject("PendingDeploymentSummary");
      pending.put("EndpointConfigName", e.pendingConfigName);
      ArrayNode variants = pending.putArray("ProductionVariants");
      for (StoredVariant v : e.pendingVariants.values()) {
        ObjectNode pv = variants.addObject().put("VariantName", v.name);
        pv.put("DesiredWeight", v.desiredWeight);
        if (!v.serverless()) {
          pv.put("DesiredInstanceCount", v.desiredInstanceCount);
          pv.put("InstanceType", Json.text(v.spec, "InstanceType"));
        }
        copy(v.spec, pv, "ManagedInstanceScaling");
        copy(v.spec, pv, "RoutingConfig");
      }
      pending.put("StartTime", Json.epochSeconds(e.pendingStart));
    }
    return out;
  }

  static ObjectNode endpointSummary(StoredEndpoint e) {
    ObjectNode out = Json.object().put("EndpointName", e.name).put("EndpointArn", e.arn);
    out.put("CreationTime", Json.epochSeconds(e.creationTime));
    out.put("LastModifiedTime", Json.epochSeconds(e.lastModifiedTime));
    return out.put("EndpointStatus", e.status.wire);
  }

  private static ObjectNode variant(RegionStore region, StoredEndpoint e, StoredVariant v) {
    ObjectNode out = Json.object().put("VariantName", v.name);
    if (!v.images.isEmpty()) {
      ArrayNode images = out.putArray("DeployedImages");
      v.images.forEach(image -> images.add(deployedImage(image, v.deployedAt)));
    }
    out.put("CurrentWeight", v.currentWeight);
    out.put("DesiredWeight", v.desiredWeight);
    if (v.serverless()) {
      out.set("CurrentServerlessConfig", v.spec.get("ServerlessConfig"));
      out.set("DesiredServerlessConfig", v.spec.get("ServerlessConfig"));
    } else {
      Capacity.Counts counts = Capacity.instances(region, e, v);
      out.put("CurrentInstanceCount", counts.current());
      out.put("DesiredInstanceCount", counts.desired());
    }
    copy(v.spec, out, "ManagedInstanceScaling");
    copy(v.spec, out, "RoutingConfig");
    return out;
  }

  private static ObjectNode captureSummary(ObjectNode capture) {
    boolean enabled = capture.path("EnableCapture").asBoolean(false);
    ObjectNode out = Json.object().put("EnableCapture", enabled);
    out.put("CaptureStatus", enabled ? "Started" : "Stopped");
    out.put("CurrentSamplingPercentage", capture.path("InitialSamplingPercentage").asInt());
    out.put("DestinationS3Uri", Json.text(capture, "DestinationS3Uri"));
    // The output model requires KmsKeyId; without one configured AWS would name its own key, which
    // the simulator does not know: it answers "" (assumed, docs/simulator.md).
    out.put("KmsKeyId", capture.has("KmsKeyId") ? Json.text(capture, "KmsKeyId") : "");
    return out;
  }

  static ObjectNode component(StoredComponent c) {
    ObjectNode out = componentSummary(c);
    if (c.failureReason != null) {
      out.put("FailureReason", c.failureReason);
    }
    ObjectNode spec = c.specification.deepCopy();
    ObjectNode container = Json.child(spec, "Container");
    if (container != null && container.has("Image")) {
      // The summary shape reports the image as resolved, not as sent.
      container.set("DeployedImage", deployedImage(Json.text(container, "Image"), c.creationTime));
      container.remove("Image");
    }
    out.set("Specification", spec);
    out.putObject("RuntimeConfig")
        .put("DesiredCopyCount", c.desiredCopyCount)
        .put("CurrentCopyCount", c.currentCopyCount);
    if (c.lastDeploymentConfig != null) {
      out.set("LastDeploymentConfig", c.lastDeploymentConfig);
    }
    return out;
  }

  static ObjectNode componentSummary(StoredComponent c) {
    ObjectNode out = Json.object().put("InferenceComponentName", c.name);
    out.put("InferenceComponentArn", c.arn);
    out.put("EndpointName", c.endpointName).put("EndpointArn", c.endpointArn);
    out.put("VariantName", c.variantName);
    out.put("CreationTime", Json.epochSeconds(c.creationTime));
    out.put("LastModifiedTime", Json.epochSeconds(c.lastModifiedTime));
    return out.put("InferenceComponentStatus", c.status.wire);
  }

  /** DescribeTransformJob: every member of the request echoed back, and the run's state. */
  static ObjectNode transformJob(StoredTransformJob j) {
    ObjectNode out = j.request.deepCopy();
    out.put("TransformJobArn", j.arn);
    out.put("TransformJobStatus", j.status.wire);
    if (j.failureReason != null) {
      out.put("FailureReason", j.failureReason);
    }
    out.put("CreationTime", Json.epochSeconds(j.creationTime));
    if (j.transformStartTime != null) {
      out.put("TransformStartTime", Json.epochSeconds(j.transformStartTime));
    }
    if (j.transformEndTime != null) {
      out.put("TransformEndTime", Json.epochSeconds(j.transformEndTime));
    }
    return out;
  }

  static ObjectNode transformJobSummary(StoredTransformJob j) {
    ObjectNode out = Json.object().put("TransformJobName", j.name);
    out.put("TransformJobArn", j.arn);
    out.put("CreationTime", Json.epochSeconds(j.creationTime));
    if (j.transformEndTime != null) {
      out.put("TransformEndTime", Json.epochSeconds(j.transformEndTime));
    }
    out.put("LastModifiedTime", Json.epochSeconds(j.lastModifiedTime));
    out.put("TransformJobStatus", j.status.wire);
    if (j.failureReason != null) {
      out.put("FailureReason", j.failureReason);
    }
    return out;
  }

  private static ObjectNode deployedImage(String image, Instant resolvedAt) {
    ObjectNode out = Json.object().put("SpecifiedImage", image);
    out.put("ResolvedImage", repository(image) + "@sha256:" + sha256(image));
    if (resolvedAt != null) {
      out.put("ResolutionTime", Json.epochSeconds(resolvedAt));
    }
    return out;
  }

  /** The image without its tag or digest: what a resolved image's digest is appended to. */
  static String repository(String image) {
    int at = image.indexOf('@');
    String base = at < 0 ? image : image.substring(0, at);
    int colon = base.lastIndexOf(':');
    return colon > base.lastIndexOf('/') ? base.substring(0, colon) : base;
  }

  private static void copy(ObjectNode from, ObjectNode to, String member) {
    if (from != null && from.has(member)) {
      to.set(member, from.get(member).deepCopy());
    }
  }

  private static String sha256(String text) {
    try {
      byte[] digest =
          MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(digest);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
