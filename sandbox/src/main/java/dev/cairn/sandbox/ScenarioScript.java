package dev.cairn.sandbox;

/** One scenario's script: what happens, in order. Each lives in its own class. */
@FunctionalInterface
public interface ScenarioScript {
  void run(ScenarioContext c) throws Exception;
}
