package dev.ebb.simulator;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Comparator;
import java.util.Map;
import java.util.Optional;

/**
 * CreateTransformJob, DescribeTransformJob, StopTransformJob, ListTransformJobs. The run itself
 * (InProgress to Completed or Failed, Stopping to Stopped) is {@link BatchTransform}'s.
 */
final class TransformJobHandler {
  /** MaxPayloadInMB when the request and the container leave it unset. */
  static final int DEFAULT_MAX_PAYLOAD_MB = 6;

  /** The most MaxPayloadInMB (and MaxConcurrentTransforms x MaxPayloadInMB) may be. */
  static final int MAX_PAYLOAD_MB = 100;

  private TransformJobHandler() {}

  static ObjectNode create(Ctx ctx, ObjectNode in) {
    // Member constraints are the model's (Contract); what follows are rules it cannot express.
    String name = Json.text(in, "TransformJobName");
    Map<String, String> tags = ReservedTags.userTags(in);
    StoredTransformJob existing = ctx.region().transformJobs.get(Arns.key(name));
    if (existing != null) {
      // Names are unique forever: a job's record stays after it ends, and cannot be deleted.
      throw AwsError.of(
          400,
          "ResourceInUse",
          String.format(
              "Transform job names must be unique within an AWS account and region, and a"
                  + " transform job with this name already exists (%s)",
              existing.arn));
    }
    StoredModel model = Refs.referencedModel(ctx, Json.text(in, "ModelName"));
    checkPayload(in);
    checkBatchStrategy(in);
    ObjectNode source =
        Json.child(Json.child(Json.child(in, "TransformInput"), "DataSource"), "S3DataSource");
    if ("AugmentedManifestFile".equals(Json.text(source, "S3DataType"))) {
      throw AwsError.validation(
          "S3DataType AugmentedManifestFile is not compatible with batch transform; use"
              + " S3Prefix or ManifestFile.");
    }
    Optional<String> failure =
        ctx.faults().createFailure("CreateTransformJob", name, model.images());

    ObjectNode request = in.deepCopy();
    request.remove("Tags");
    StoredTransformJob job =
        new StoredTransformJob(name, ctx.arn(Arns.TRANSFORM_JOB, name), ctx.now(), request);
    job.tags.putAll(tags);
    job.injectedFailure = failure.orElse(null);
    job.modelEnvironment = environment(model);
    job.transformStartTime = ctx.now();
    job.dueAt = ctx.now().plus(ctx.delays().transformJob());
    ctx.region().transformJobs.put(Arns.key(name), job);
    return Json.object().put("TransformJobArn", job.arn);
  }

  /**
   * "The value of MaxPayloadInMB cannot be greater than 100 MB. If you specify the
   * MaxConcurrentTransforms parameter, the value of (MaxConcurrentTransforms * MaxPayloadInMB) also
   * cannot exceed 100 MB." (CreateTransformJob, MaxPayloadInMB).
   */
  private static void checkPayload(ObjectNode in) {
    int payload =
        in.hasNonNull("MaxPayloadInMB") ? in.get("MaxPayloadInMB").asInt() : DEFAULT_MAX_PAYLOAD_MB;
    if (payload > MAX_PAYLOAD_MB) {
      throw AwsError.validation(
          "MaxPayloadInMB (%d) cannot be greater than %d MB.", payload, MAX_PAYLOAD_MB);
    }
    if (in.hasNonNull("MaxConcurrentTransforms")) {
      long concurrent = in.get("MaxConcurrentTransforms").asLong();
      if (concurrent * payload > MAX_PAYLOAD_MB) {
        throw AwsError.validation(
            "MaxConcurrentTransforms * MaxPayloadInMB (%d * %d) cannot exceed %d MB.",
            concurrent, payload, MAX_PAYLOAD_MB);
      }
    }
  }

  /**
   * "To enable the batch strategy, you must set the SplitType property to Line, RecordIO, or
   * TFRecord." (CreateTransformJob, BatchStrategy).
   */
  private static void checkBatchStrategy(ObjectNode in) {
    String split = Json.text(Json.child(in, "TransformInput"), "SplitType");
    if (in.hasNonNull("BatchStrategy") && (split == null || split.equals("None"))) {
      throw AwsError.validation(
          "BatchStrategy %s needs TransformInput.SplitType Line, RecordIO or TFRecord (SplitType is"
              + " %s).",
          Json.text(in, "BatchStrategy"), split == null ? "not set" : split);
    }
  }

  private static ObjectNode environment(StoredModel model) {
    ObjectNode env = Json.object();
    ObjectNode primary = Json.child(model.request, "PrimaryContainer");
    ObjectNode container =
        primary != null
            ? primary
            : Json.objects(model.request, "Containers").stream().findFirst().orElse(null);
    ObjectNode modelEnv = Json.child(container, "Environment");
    if (modelEnv != null) {
      env.setAll(modelEnv);
    }
    return env;
  }

  static ObjectNode describe(Ctx ctx, ObjectNode in) {
    return Descriptions.transformJob(job(ctx, Json.text(in, "TransformJobName")));
  }

  static ObjectNode stop(Ctx ctx, ObjectNode in) {
    String name = Json.text(in, "TransformJobName");
    StoredTransformJob job = ctx.region().transformJobs.get(Arns.key(name));
    if (job == null) {
      throw AwsError.validation("Could not find job to update with name %s", name);
    }
    if (job.status.ended()) {
      throw AwsError.validation(
          "The request was rejected because the transform job is in status %s", job.status.wire);
    }
    if (job.status == StoredTransformJob.Status.IN_PROGRESS) {
      // The run's end no longer comes: Stopping, then Stopped with no output stored.
      job.status = StoredTransformJob.Status.STOPPING;
      job.lastModifiedTime = ctx.now();
      job.dueAt = ctx.now().plus(ctx.delays().transformStop());
    }
    return Json.object();
  }

  static ObjectNode list(Ctx ctx, ObjectNode in) {
    Map<String, Comparator<StoredTransformJob>> sortKeys =
        Map.of(
            "Name", Comparator.comparing(j -> j.name),
            "CreationTime", Comparator.comparing(j -> j.creationTime),
            "Status", Comparator.comparing(j -> j.status.wire));
    return new Listing<>(in, sortKeys)
        .where("StatusEquals", status -> j -> j.status.wire.equals(status))
        .page(
            "TransformJobSummaries",
            ctx.region().transformJobs.values(),
            Descriptions::transformJobSummary);
  }

  private static StoredTransformJob job(Ctx ctx, String name) {
    StoredTransformJob job = ctx.region().transformJobs.get(Arns.key(name));
    if (job == null) {
      throw AwsError.validation("Could not find requested job with name %s", name);
    }
    return job;
  }
}
