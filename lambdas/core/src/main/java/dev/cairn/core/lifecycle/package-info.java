/**
 * The artifact lifecycle as data: the allowed moves of {@code status}, {@code
 * environment_states.<env>.status} and {@code test_status} and the roles that may make them ({@link
 * dev.cairn.core.lifecycle.LifecycleTransitions}, drawn in {@code docs/lifecycle.md}), and when a
 * record needs the sweeper ({@link dev.cairn.core.ledger.SweepPolicy}).
 */
package dev.cairn.core.lifecycle;
