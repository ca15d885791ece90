//! Bulk writes of a synthetic network (the seed command).
