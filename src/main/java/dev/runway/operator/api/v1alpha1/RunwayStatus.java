package dev.runway.operator.api.v1alpha1;

import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

import io.fabric8.kubernetes.api.model.Condition;

/** What every Runway kind reports: the generation it acted on and kstatus-style conditions. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public abstract class RunwayStatus {

    @JsonPropertyDescription("The metadata.generation this status describes; when it is behind metadata.generation the operator has not yet acted on the latest spec.")
    public Long observedGeneration;

    @JsonPropertyDescription("Standard conditions. Ready summarises; Reconciling=True while work is under way; Stalled=True when progress needs a human.")
    public List<Condition> conditions = new ArrayList<>();
}
