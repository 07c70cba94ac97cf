//! Model-based test.
