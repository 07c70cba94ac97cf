//! Native tests of layerbox-lessons: one binary, one module per concern (the whole course, goal
//! predicates, a lesson run).

mod course;
mod dead_ends;
mod goals;
mod run;
