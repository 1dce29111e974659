package io.farget.cli.view;

/**
 * One container of a pod: {@code state} is WAITING, RUNNING or EXITED; exitCode and reason are
 * null until known; restartCount says how often the agent restarted it in place.
 */
public record ContainerView(String name, String state, Integer exitCode, String reason, int restartCount) {}
