//! Ground params: every `param` and opt-out applied to every tuple of agencies of its
//! argument kinds, numbered once per model.

use rustc_hash::FxHashMap;

use crate::model::{AgencyId, KindId, Model, ParamId};

/// Every ground param of a model: each `param` and opt-out applied to every tuple of
/// agencies of its argument kinds, in declaration order.
#[derive(Clone, Debug, Default)]
pub struct GroundParams {
    pub list: Vec<(ParamId, Vec<AgencyId>)>,
    /// Params of at most one argument, found without building a key (most are).
    short: FxHashMap<(ParamId, Option<AgencyId>), usize>,
    index: FxHashMap<(ParamId, Vec<AgencyId>), usize>,
}

impl GroundParams {
    pub fn new(model: &Model) -> Self {
        let mut out = GroundParams::default();
        for (p, param) in model.params.iter().enumerate() {
            let p = ParamId::from_index(p);
            let mut tuple = Vec::new();
            out.extend(model, p, &param.args, &mut tuple);
        }
        out
    }

    fn extend(&mut self, model: &Model, p: ParamId, kinds: &[KindId], tuple: &mut Vec<AgencyId>) {
        let Some((first, rest)) = kinds.split_first() else {
            match tuple.as_slice() {
                [] => {
                    self.short.insert((p, None), self.list.len());
                }
                [a] => {
                    self.short.insert((p, Some(*a)), self.list.len());
                }
                _ => {
                    self.index.insert((p, tuple.clone()), self.list.len());
                }
            }
            self.list.push((p, tuple.clone()));
            return;
        };
        for a in model.agencies_of(*first) {
            tuple.push(a);
            self.extend(model, p, rest, tuple);
            tuple.pop();
        }
    }

    pub fn get(&self, p: ParamId, args: &[AgencyId]) -> Option<usize> {
        match args {
            [] => self.short.get(&(p, None)).copied(),
            [a] => self.short.get(&(p, Some(*a))).copied(),
            _ => self.index.get(&(p, args.to_vec())).copied(),
        }
    }

    pub fn len(&self) -> usize {
        self.list.len()
    }

    pub fn is_empty(&self) -> bool {
        self.list.is_empty()
    }

    pub fn name(&self, model: &Model, i: usize) -> String {
        let (p, args) = &self.list[i];
        model.ground_param_name(*p, args)
    }
}
