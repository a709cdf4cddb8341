package dev.cairn.core.failure;

/**
 * Which control stopped a release, in the sense of the fail-closed gate discipline (seed 000): the
 * five planes a release must close ({@code AUTHN}, {@code AUTHZ}, {@code BUILD_SURFACE}, {@code
 * IDENTITY}, {@code PROVENANCE}) plus Cairn's own post-verification gates. Every failure code of
 * every catalogue maps to exactly one ({@link BlockerClasses}).
 */
public enum BlockerClass {
  /** Who produced or requested something is not established: a signature, a MAC, a key. */
  AUTHN,
  /** An authenticated principal asked for something it may not do, or not now. */
  AUTHZ,
  /** What entered the artifact is not exactly what was declared (files, context, toolchain). */
  BUILD_SURFACE,
  /** The bytes acted on are not the ones identified by digest. */
  IDENTITY,
  /** The record that links source, build and artifact is missing, malformed or inconsistent. */
  PROVENANCE,
  /** The deployment (change sets, stacks) failed. */
  DEPLOY,
  /** The environment's tests failed. */
  TEST,
  /** An alarm fired during the bake period or the post-deploy watch. */
  BAKE,
  /** The target stacks drifted from their templates and no signed override allowed it. */
  DRIFT
}
