"""Pure value types and arithmetic: timecodes, time mapping between copies, parsed essays. No Qt."""
