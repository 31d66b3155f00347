package dev.ebb.simulator;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * CreateInferenceComponent, DescribeInferenceComponent, UpdateInferenceComponent,
 * UpdateInferenceComponentRuntimeConfig, DeleteInferenceComponent, ListInferenceComponents.
 */
final class ComponentHandler {
  private static final List<String> STATUSES =
      List.of("InService", "Creating", "Updating", "Failed", "Deleting");

  private ComponentHandler() {}

  static ObjectNode create(Ctx ctx, ObjectNode in) {
    Violations v = new Violations();
    String name = Members.name(v, in, "InferenceComponentName", "", Members.MODEL_NAME, true);
    String endpointName = Members.name(v, in, "EndpointName", "", Members.NAME, true);
    String variantName = Members.name(v, in, "VariantName", "", Members.NAME, false);
    ObjectNode spec = Json.child(in, "Specification");
    if (spec == null) {
      v.nullValue(Members.at("", "Specification"));
    } else {
      specification(v, spec, Members.at("", "Specification"));
    }
    ObjectNode runtime = Json.child(in, "RuntimeConfig");
    boolean adapter = spec != null && spec.has("BaseInferenceComponentName");
    if (runtime == null && !adapter) {
      v.nullValue(Members.at("", "RuntimeConfig"));
    }
    if (runtime != null) {
      Members.integer(v, runtime, "CopyCount", Members.at("", "RuntimeConfig"), 0, null);
      if (!runtime.has("CopyCount")) {
        v.nullValue(Members.at(Members.at("", "RuntimeConfig"), "CopyCount"));
      }
    }
    Map<String, String> tags = Members.tags(v, in, "Tags");
    v.throwIfAny();
    Members.checkUserTags(tags);
    int copies = runtime == null ? 1 : runtime.get("CopyCount").asInt();
    if (runtime != null && copies == 0) {
      throw AwsError.validation(
          "Invalid CopyCount 0 for inference component %s: an inference component is created"
              + " with at least 1 copy. Scale it to 0 with UpdateInferenceComponentRuntimeConfig"
              + " once it is InService.",
          name);
    }
    if (ctx.region().components.containsKey(Arns.key(name))) {
      throw AwsError.validation(
          "Cannot create already existing inference component \"%s\".",
          ctx.arn(Arns.INFERENCE_COMPONENT, name));
    }
    StoredEndpoint endpoint = Refs.endpoint(ctx, endpointName);
    if (endpoint.status != StoredEndpoint.Status.IN_SERVICE) {
      throw AwsError.validation(
          "Endpoint \"%s\" is in %s status; inference components can be created only on an"
              + " InService endpoint.",
          endpoint.arn, endpoint.status.wire);
    }
    StoredVariant variant = placement(endpoint, variantName);
    List<String> images = images(ctx, spec, true);
    Optional<String> failure = ctx.faults().createFailure("CreateInferenceComponent", name, images);

    StoredComponent c =
        new StoredComponent(
            name,
            ctx.arn(Arns.INFERENCE_COMPONENT, name),
            ctx.now(),
            endpoint.name,
            endpoint.arn,
            variant.name,
            spec.deepCopy());
    c.desiredCopyCount = copies;
    c.tags.putAll(tags);
    ctx.region().components.put(Arns.key(name), c);
    ctx.region()
        .after(
            c,
            ctx.now(),
            ctx.delays().componentCreate(),
            at -> {
              if (failure.isPresent()) {
                c.status = StoredComponent.Status.FAILED;
                c.failureReason = failure.get();
              } else {
                c.status = StoredComponent.Status.IN_SERVICE;
                c.currentCopyCount = c.desiredCopyCount;
                // From now on managed instance scaling sizes the variant by its copies.
                StoredVariant live = endpoint.variant(c.variantName);
                if (live != null) {
                  live.hostedComponents = true;
                }
              }
            });
    return Json.object().put("InferenceComponentArn", c.arn);
  }

  private static void specification(Violations v, ObjectNode spec, String path) {
    Members.name(v, spec, "ModelName", path, Members.MODEL_NAME, false);
    Members.name(v, spec, "BaseInferenceComponentName", path, Members.MODEL_NAME, false);
    ObjectNode startup = Json.child(spec, "StartupParameters");
    String startupPath = Members.at(path, "StartupParameters");
    Members.integer(v, startup, "ModelDataDownloadTimeoutInSeconds", startupPath, 60, 3600);
    Members.integer(
        v, startup, "ContainerStartupHealthCheckTimeoutInSeconds", startupPath, 60, 3600);
    ObjectNode compute = Json.child(spec, "ComputeResourceRequirements");
    String computePath = Members.at(path, "ComputeResourceRequirements");
    if (compute == null && !spec.has("BaseInferenceComponentName")) {
      v.nullValue(computePath);
    }
    if (compute != null) {
      if (!compute.has("MinMemoryRequiredInMb")) {
        v.nullValue(Members.at(computePath, "MinMemoryRequiredInMb"));
      }
      Members.integer(v, compute, "MinMemoryRequiredInMb", computePath, 128, null);
      Members.integer(v, compute, "MaxMemoryRequiredInMb", computePath, 128, null);
      Members.number(v, compute, "NumberOfCpuCoresRequired", computePath, 0.25);
      Members.number(v, compute, "NumberOfAcceleratorDevicesRequired", computePath, 1.0);
    }
  }

  /** The variant a component goes on: the one named, or the endpoint's only variant. */
  private static StoredVariant placement(StoredEndpoint endpoint, String variantName) {
    StoredVariant variant;
    if (variantName == null) {
      if (endpoint.variants.size() != 1) {
        throw AwsError.validation(
            "VariantName is required: endpoint \"%s\" has %d production variants.",
            endpoint.arn, endpoint.variants.size());
      }
      variant = endpoint.variants.values().iterator().next();
    } else {
      variant = endpoint.variant(variantName);
      if (variant == null) {
        throw AwsError.validation(
            "Variant %s does not exist on endpoint \"%s\".", variantName, endpoint.arn);
      }
    }
    if (!variant.forComponents() || variant.serverless()) {
      throw AwsError.validation(
          "Inference components cannot be deployed to variant %s of endpoint \"%s\": its"
              + " production variant specifies a ModelName. Use an endpoint configuration whose"
              + " variants specify no ModelName.",
          variant.name, endpoint.arn);
    }
    return variant;
  }

  /** The images the component runs (its model's, or its own container's). */
  private static List<String> images(Ctx ctx, ObjectNode spec, boolean creating) {
    List<String> images = new ArrayList<>();
    String model = Json.text(spec, "ModelName");
    if (model != null) {
      images.addAll(
          creating ? Refs.referencedModel(ctx, model).images() : Refs.model(ctx, model).images());
    }
    String image = Json.text(Json.child(spec, "Container"), "Image");
    if (image != null) {
      images.add(image);
    }
    String base = Json.text(spec, "BaseInferenceComponentName");
    if (base != null) {
      Refs.component(ctx, base);
    }
    if (model == null && image == null && base == null) {
      throw AwsError.validation(
          "The inference component specification must name a ModelName, a Container or a"
              + " BaseInferenceComponentName.");
    }
    return images;
  }

  static ObjectNode describe(Ctx ctx, ObjectNode in) {
    return Descriptions.component(Refs.component(ctx, requiredName(in)));
  }

  static ObjectNode update(Ctx ctx, ObjectNode in) {
    Violations v = new Violations();
    String name = Members.name(v, in, "InferenceComponentName", "", Members.MODEL_NAME, true);
    ObjectNode spec = Json.child(in, "Specification");
    if (spec != null) {
      specification(v, spec, Members.at("", "Specification"));
    }
    ObjectNode runtime = Json.child(in, "RuntimeConfig");
    if (runtime != null) {
      Members.integer(v, runtime, "CopyCount", Members.at("", "RuntimeConfig"), 0, null);
      if (!runtime.has("CopyCount")) {
        v.nullValue(Members.at(Members.at("", "RuntimeConfig"), "CopyCount"));
      }
    }
    v.throwIfAny();
    StoredComponent c = Refs.component(ctx, name);
    requireInService(c);
    if (spec == null && runtime == null && !in.has("DeploymentConfig")) {
      throw AwsError.validation(
          "Specify Specification, RuntimeConfig or DeploymentConfig to update inference"
              + " component %s.",
          c.name);
    }
    List<String> images = spec == null ? List.of() : images(ctx, spec, false);
    Optional<String> failure = ctx.faults().updateFailure("UpdateInferenceComponent", images);
    int copies = runtime == null ? c.desiredCopyCount : runtime.get("CopyCount").asInt();
    ObjectNode deployment = Json.child(in, "DeploymentConfig");

    c.status = StoredComponent.Status.UPDATING;
    c.lastModifiedTime = ctx.now();
    c.failureReason = null;
    c.desiredCopyCount = copies;
    int previousCopies = c.currentCopyCount;
    ctx.region()
        .after(
            c,
            ctx.now(),
            ctx.delays().componentUpdate(),
            at -> {
              if (failure.isPresent()) {
                c.failureReason = failure.get();
                c.desiredCopyCount = previousCopies;
              } else {
                if (spec != null) {
                  c.specification = spec.deepCopy();
                }
                c.currentCopyCount = copies;
                if (deployment != null) {
                  c.lastDeploymentConfig = deployment;
                }
              }
              c.status = StoredComponent.Status.IN_SERVICE;
            });
    return Json.object().put("InferenceComponentArn", c.arn);
  }

  static ObjectNode updateRuntimeConfig(Ctx ctx, ObjectNode in) {
    Violations v = new Violations();
    String name = Members.name(v, in, "InferenceComponentName", "", Members.MODEL_NAME, true);
    ObjectNode desired = Json.child(in, "DesiredRuntimeConfig");
    String path = Members.at("", "DesiredRuntimeConfig");
    if (desired == null) {
      v.nullValue(path);
    } else if (!desired.has("CopyCount")) {
      v.nullValue(Members.at(path, "CopyCount"));
    } else {
      Members.integer(v, desired, "CopyCount", path, 0, null);
    }
    v.throwIfAny();
    StoredComponent c = Refs.component(ctx, name);
    requireInService(c);
    int copies = desired.get("CopyCount").asInt();
    Duration delay =
        copies >= c.currentCopyCount ? ctx.delays().copiesScaleOut() : ctx.delays().copiesScaleIn();
    c.status = StoredComponent.Status.UPDATING;
    c.lastModifiedTime = ctx.now();
    c.desiredCopyCount = copies;
    ctx.region()
        .after(
            c,
            ctx.now(),
            delay,
            at -> {
              c.currentCopyCount = copies;
              c.status = StoredComponent.Status.IN_SERVICE;
            });
    return Json.object().put("InferenceComponentArn", c.arn);
  }

  private static void requireInService(StoredComponent c) {
    if (c.status != StoredComponent.Status.IN_SERVICE) {
      throw AwsError.validation(
          "Cannot update inference component \"%s\" while it is %s; it must be InService.",
          c.arn, c.status.wire);
    }
  }

  static ObjectNode delete(Ctx ctx, ObjectNode in) {
    StoredComponent c = Refs.component(ctx, requiredName(in));
    if (c.status == StoredComponent.Status.DELETING) {
      return Json.object();
    }
    c.status = StoredComponent.Status.DELETING;
    c.lastModifiedTime = ctx.now();
    ctx.region()
        .after(
            c,
            ctx.now(),
            ctx.delays().componentDelete(),
            at -> {
              c.currentCopyCount = 0;
              ctx.region().forget(ctx.region().components, c);
            });
    return Json.object();
  }

  static ObjectNode list(Ctx ctx, ObjectNode in) {
    Violations v = new Violations();
    Members.oneOf(v, in, "StatusEquals", "", STATUSES);
    v.throwIfAny();
    Map<String, Comparator<StoredComponent>> sortKeys =
        Map.of(
            "Name", Comparator.comparing(c -> c.name),
            "CreationTime", Comparator.comparing(c -> c.creationTime),
            "Status", Comparator.comparing(c -> c.status.wire));
    return new Listing<>(in, sortKeys)
        .where("StatusEquals", status -> c -> c.status.wire.equals(status))
        .where("EndpointNameEquals", e -> c -> Arns.key(c.endpointName).equals(Arns.key(e)))
        .where("VariantNameEquals", n -> c -> Arns.key(c.variantName).equals(Arns.key(n)))
        .page(
            "InferenceComponents",
            ctx.region().components.values(),
            Descriptions::componentSummary);
  }

  private static String requiredName(ObjectNode in) {
    Violations v = new Violations();
    String name = Members.name(v, in, "InferenceComponentName", "", Members.MODEL_NAME, true);
    v.throwIfAny();
    return name;
  }
}
