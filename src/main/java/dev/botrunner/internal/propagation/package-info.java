/**
 * Internal: how botrunner's own pipeline runs without MicroProfile context propagation while the
 * bot's code keeps the application's ({@code OwnPipeline}).
 */
package dev.botrunner.internal.propagation;
