package io.mdeas.node.service;

/** Health of the node or of one of its parts. */
public enum HealthStatus { UP, DEGRADED, DOWN }
