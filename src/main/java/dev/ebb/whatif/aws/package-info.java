/**
 * CloudWatch and Application Auto Scaling as AWS documents them, executable: metric statistics
 * ({@link dev.ebb.whatif.aws.MetricStore}), alarm evaluation ({@link
 * dev.ebb.whatif.aws.AlarmEvaluator}), step and target-tracking policies with their cooldowns
 * ({@link dev.ebb.whatif.aws.StepScaling}, {@link dev.ebb.whatif.aws.TargetTracking}, {@link
 * dev.ebb.whatif.aws.PolicyCapacity}) and scheduled actions ({@link dev.ebb.whatif.aws.Schedule},
 * {@link dev.ebb.whatif.aws.ScheduledActions}), on the objects as the services' JSON APIs store
 * them. One implementation, shared: the test suite's SageMaker simulator runs it for the operator's
 * ITs, and what-if is to run it for backend sagemaker. Each behaviour's source is in {@code
 * docs/simulator-scaling.md}. Built from AWS's documentation, never from Ebb's own engine ({@code
 * dev.ebb.scaling}), so a test cannot pass because both share a mistake; ArchUnit holds it to that.
 */
package dev.ebb.whatif.aws;
