package dev.ebb.local;

import io.fabric8.kubernetes.api.model.ContainerState;
import io.fabric8.kubernetes.api.model.ContainerStateTerminated;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodCondition;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Copies that keep failing: a container of the pod (the model fetch, {@value
 * ModelServerWorkload#FETCH_CONTAINER}, or the model server, {@value
 * ModelServerWorkload#SERVER_CONTAINER}) that kubelet cannot start or keeps restarting with
 * back-off. Read from typed fields only (the container's {@code state.waiting.reason}, exit codes,
 * restart counts), never from the text of a message; the text of the last termination is only
 * reported. Such a copy is not coming on its own, but kubelet keeps retrying, so fixing the data or
 * the image heals it. Pure: the pods in, the failing copies out.
 *
 * <p>A copy is failing when its pod is not Ready, not being deleted, and one of its containers
 *
 * <ul>
 *   <li>waits for one of {@link #WAITING_REASONS}: kubelet backs off restarting it ({@code
 *       CrashLoopBackOff}), or cannot pull its image or create it; or
 *   <li>has failed again after a restart: it is terminated with a non-zero exit code and was
 *       restarted before ({@code restartCount > 0}), or it runs again after at least two restarts
 *       and its last termination was non-zero.
 * </ul>
 *
 * A container that failed once and runs again is not failing yet (a transient S3 error or one
 * out-of-memory kill, retried); one that failed twice is. Once kubelet backs off, the container
 * alternates between waiting ({@code CrashLoopBackOff}) and running again until its next failure:
 * counting both as failing keeps the component's reason from flapping with each back-off.
 */
public final class FailingCopies {
  /**
   * Waiting reasons after which kubelet only retries with back-off, or cannot create the container
   * at all until something outside the pod changes (an image, a Secret, a ConfigMap).
   */
  public static final Set<String> WAITING_REASONS =
      Set.of(
          "CrashLoopBackOff",
          "ImagePullBackOff",
          "ErrImagePull",
          "ErrImageNeverPull",
          "CreateContainerConfigError",
          "CreateContainerError",
          "InvalidImageName",
          "RunContainerError");

  /** How much of a termination or waiting message is kept (its end: a log's tail says why). */
  static final int MESSAGE_LIMIT = 300;

  private FailingCopies() {}

  /**
   * One copy that keeps failing, as its failing container shows it.
   *
   * @param pod the copy's pod
   * @param since when the pod last stopped being ready (its Ready condition's lastTransitionTime,
   *     which stays put while kubelet retries; for a copy never ready, when kubelet first reported
   *     it; the pod's creation when the condition carries none)
   * @param container the failing container: {@value ModelServerWorkload#FETCH_CONTAINER} or {@value
   *     ModelServerWorkload#SERVER_CONTAINER}
   * @param init whether it is an init container
   * @param state its waiting reason (e.g. {@code CrashLoopBackOff}), or {@code running again} or
   *     {@code exited} when it is not waiting
   * @param restarts its restart count
   * @param lastExitCode the exit code of its last termination, null if it never terminated
   * @param lastReason kubelet's reason for that termination ({@code Error}, {@code OOMKilled}...),
   *     null if none
   * @param message the end of the last termination's message (with {@code FallbackToLogsOnError},
   *     the tail of the container's log), or kubelet's waiting message when the container never
   *     terminated (an image it cannot pull); whitespace collapsed, at most {@value #MESSAGE_LIMIT}
   *     characters; null if none
   */
  public record Failing(
      String pod,
      Instant since,
      String container,
      boolean init,
      String state,
      int restarts,
      Integer lastExitCode,
      String lastReason,
      String message) {

    /** When this copy stops counting as starting, with {@code bound}. */
    public Instant startingUntil(Duration bound) {
      return since.plus(bound);
    }

    /** Whether the copy has not been ready for at least {@code bound} by {@code now}. */
    public boolean overdue(Instant now, Duration bound) {
      return !now.isBefore(startingUntil(bound));
    }

    /**
     * One line for the component's status, e.g. {@code container fetch-model CrashLoopBackOff after
     * 6 restarts, last exit 1: fetch-model: s3://bucket/key: NoSuchKey ...}.
     */
    public String describe() {
      StringBuilder line = new StringBuilder("container ").append(container).append(' ');
      line.append(state);
      if (restarts > 0) {
        line.append(" after ").append(restarts).append(restarts == 1 ? " restart" : " restarts");
      }
      if (lastExitCode != null) {
        line.append(", last exit ").append(lastExitCode);
        if (lastReason != null && !lastReason.isBlank() && !"Error".equals(lastReason)) {
          line.append(" (").append(lastReason).append(')');
        }
      }
      if (message != null) {
        line.append(": ").append(message);
      }
      return line.toString();
    }
  }

  /** The copies that keep failing, longest failing first. */
  public static List<Failing> of(Collection<Pod> pods) {
    return pods.stream()
        .map(FailingCopies::failing)
        .flatMap(Optional::stream)
        .sorted(Comparator.comparing(Failing::since).thenComparing(Failing::pod))
        .toList();
  }

  private static Optional<Failing> failing(Pod pod) {
    if (pod.getMetadata().getDeletionTimestamp() != null
        || pod.getStatus() == null
        || ready(pod).map(c -> "True".equals(c.getStatus())).orElse(false)) {
      return Optional.empty();
    }
    Stream<Failing> init =
        statuses(pod.getStatus().getInitContainerStatuses())
            .map(s -> failing(pod, s, true))
            .flatMap(Optional::stream);
    Stream<Failing> main =
        statuses(pod.getStatus().getContainerStatuses())
            .map(s -> failing(pod, s, false))
            .flatMap(Optional::stream);
    // Init containers run first: while one fails, the others wait for it.
    return Stream.concat(init, main).findFirst();
  }

  private static Stream<ContainerStatus> statuses(List<ContainerStatus> statuses) {
    return Optional.ofNullable(statuses).stream().flatMap(Collection::stream);
  }

  private static Optional<Failing> failing(Pod pod, ContainerStatus status, boolean init) {
    ContainerState state = status.getState();
    if (state == null) {
      return Optional.empty();
    }
    int restarts = status.getRestartCount() == null ? 0 : status.getRestartCount();
    ContainerStateTerminated last =
        status.getLastState() == null ? null : status.getLastState().getTerminated();
    String what;
    ContainerStateTerminated termination = last;
    String waitingMessage = null;
    if (state.getWaiting() != null && WAITING_REASONS.contains(state.getWaiting().getReason())) {
      what = state.getWaiting().getReason();
      // CrashLoopBackOff's own message ("back-off 5m0s restarting failed container=...") changes
      // with each back-off and says nothing the last termination does not.
      if (!"CrashLoopBackOff".equals(what)) {
        waitingMessage = state.getWaiting().getMessage();
      }
    } else if (state.getTerminated() != null && failed(state.getTerminated()) && restarts > 0) {
      what = "exited";
      termination = state.getTerminated();
    } else if (state.getRunning() != null && restarts > 1 && last != null && failed(last)) {
      what = "running again";
    } else {
      return Optional.empty();
    }
    Optional<Instant> since = since(pod);
    if (since.isEmpty()) {
      return Optional.empty();
    }
    String message = termination == null ? null : trimmed(termination.getMessage());
    if (message == null) {
      message = trimmed(waitingMessage);
    }
    return Optional.of(
        new Failing(
            pod.getMetadata().getName(),
            since.get(),
            status.getName(),
            init,
            what,
            restarts,
            termination == null ? null : termination.getExitCode(),
            termination == null ? null : termination.getReason(),
            message));
  }

  private static boolean failed(ContainerStateTerminated terminated) {
    return terminated.getExitCode() != null && terminated.getExitCode() != 0;
  }

  private static Optional<PodCondition> ready(Pod pod) {
    return Optional.ofNullable(pod.getStatus().getConditions()).stream()
        .flatMap(Collection::stream)
        .filter(c -> "Ready".equals(c.getType()))
        .findFirst();
  }

  private static Optional<Instant> since(Pod pod) {
    String at =
        ready(pod)
            .filter(c -> !"True".equals(c.getStatus()))
            .map(PodCondition::getLastTransitionTime)
            .orElse(pod.getMetadata().getCreationTimestamp());
    return Optional.ofNullable(at).map(Instant::parse);
  }

  /**
   * The message with its whitespace (a log's line breaks) collapsed, and only its last {@value
   * #MESSAGE_LIMIT} characters when longer: a failing process says why last. Null when blank.
   */
  static String trimmed(String message) {
    if (message == null || message.isBlank()) {
      return null;
    }
    String line = message.strip().replaceAll("\\s+", " ");
    if (line.length() <= MESSAGE_LIMIT) {
      return line;
    }
    return "..." + line.substring(line.length() - (MESSAGE_LIMIT - 3));
  }
}
