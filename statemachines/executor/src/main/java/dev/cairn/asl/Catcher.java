package dev.cairn.asl;

/**
 * One Catcher (spec "Fallback states"): the errors it takes, where the error output goes, and the
 * state to go to.
 */
record Catcher(ErrorEquals errorEquals, IoPaths.ResultPath resultPath, String next) {}
