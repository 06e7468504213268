//! Which of a campaign's numbers texts a recipient. A recipient sees a local number when the pool has one for their
//! area code (people answer local numbers), and always the same number while the pool is unchanged, so that a reply
//! thread stays one thread.
//!
//! The pick is rendezvous hashing over a fixed hash (FNV-1a), not `RandomState`: it must agree across processes and
//! restarts. Rendezvous hashing also keeps most recipients on their number when the pool grows or shrinks; only
//! those whose number left, or who rank a new number highest, move.

/// A campaign's sending numbers (E.164, or short codes), with their NANP area codes worked out once.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SenderPool {
    numbers: Vec<(String, Option<String>)>,
}

impl SenderPool {
    /// A pool of `numbers`; duplicates are dropped, order does not matter.
    pub fn new<S: AsRef<str>>(numbers: &[S]) -> Self {
        let mut seen = std::collections::BTreeSet::new();
        let numbers = numbers
            .iter()
            .map(AsRef::as_ref)
            .filter(|n| seen.insert(n.to_string()))
            .map(|n| (n.to_owned(), nanp_area_code(n).map(str::to_owned)))
            .collect();
        SenderPool { numbers }
    }

    /// Whether the pool has no number.
    pub fn is_empty(&self) -> bool {
        self.numbers.is_empty()
    }

    /// The number to text `recipient` (E.164) from: one with the recipient's area code if any, else any; `None`
    /// only for an empty pool.
    pub fn choose(&self, recipient: &str) -> Option<&str> {
        let local = nanp_area_code(recipient)
            .and_then(|code| self.pick(recipient, |area| area.as_deref() == Some(code)));
        local.or_else(|| self.pick(recipient, |_| true))
    }

    /// The candidate ranked highest for `recipient`; ties (equal hashes) go to the smaller number, so the result
    /// does not depend on the pool's order.
    fn pick(&self, recipient: &str, eligible: impl Fn(&Option<String>) -> bool) -> Option<&str> {
        self.numbers
            .iter()
            .filter(|(_, area)| eligible(area))
            .map(|(number, _)| (rank(recipient, number), number))
            .max_by(|a, b| a.0.cmp(&b.0).then_with(|| b.1.cmp(a.1)))
            .map(|(_, number)| number.as_str())
    }
}

/// The area code of a NANP number in E.164 (`+1` and ten digits), e.g. `215` for `+12155550100`.
pub fn nanp_area_code(number: &str) -> Option<&str> {
    let national = number.strip_prefix("+1")?;
    (national.len() == 10 && national.bytes().all(|b| b.is_ascii_digit())).then(|| &national[..3])
}

/// FNV-1a (64-bit) of the recipient, a separator no number contains, and the candidate.
fn rank(recipient: &str, candidate: &str) -> u64 {
    const OFFSET: u64 = 0xcbf2_9ce4_8422_2325;
    const PRIME: u64 = 0x0000_0100_0000_01b3;
    recipient
        .bytes()
        .chain(std::iter::once(b'|'))
        .chain(candidate.bytes())
        .fold(OFFSET, |hash, byte| {
            (hash ^ u64::from(byte)).wrapping_mul(PRIME)
        })
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    const POOL: [&str; 4] = [
        "+12155550100",
        "+12155550101",
        "+16145550100",
        "+13125550100",
    ];

    #[test]
    fn a_local_number_is_preferred() {
        let pool = SenderPool::new(&POOL);
        assert_eq!(pool.choose("+16145559999"), Some("+16145550100"));
        assert_eq!(pool.choose("+13125551234"), Some("+13125550100"));
        let philly = pool.choose("+12155559876").expect("a number");
        assert!(philly.starts_with("+1215"), "{philly}");
    }

    #[test]
    fn without_a_local_number_any_is_chosen_and_an_empty_pool_gives_none() {
        let pool = SenderPool::new(&POOL);
        let chosen = pool.choose("+14155550100").expect("a number");
        assert!(POOL.contains(&chosen));
        assert_eq!(SenderPool::new::<&str>(&[]).choose("+14155550100"), None);
        assert!(SenderPool::new::<&str>(&[]).is_empty());
    }

    #[test]
    fn recipients_are_spread_over_the_pool() {
        let pool = SenderPool::new(&POOL);
        let used: std::collections::BTreeSet<&str> = (0..200)
            .map(|i| format!("+1415555{i:04}"))
            .map(|r| pool.choose(&r).expect("a number").to_owned())
            .map(|n| *POOL.iter().find(|p| **p == n).expect("from the pool"))
            .collect();
        assert_eq!(used.len(), POOL.len(), "every number gets some recipients");
    }

    #[test]
    fn area_codes_only_for_nanp_numbers() {
        assert_eq!(nanp_area_code("+12155550100"), Some("215"));
        assert_eq!(nanp_area_code("+447700900123"), None);
        assert_eq!(nanp_area_code("+1215555010"), None);
        assert_eq!(nanp_area_code("12345"), None);
    }

    proptest! {
        #[test]
        fn sticky_and_order_independent(digits in "[2-9][0-9]{9}", rotate in 0usize..4) {
            let recipient = format!("+1{digits}");
            let pool = SenderPool::new(&POOL);
            let mut shuffled = POOL.to_vec();
            shuffled.rotate_left(rotate);
            let first = pool.choose(&recipient);
            prop_assert_eq!(first, pool.choose(&recipient));
            let reordered = SenderPool::new(&shuffled);
            prop_assert_eq!(first, reordered.choose(&recipient));
        }

        #[test]
        fn adding_a_number_moves_only_recipients_to_it(digits in "[2-9][0-9]{9}") {
            let recipient = format!("+1{digits}");
            let before = SenderPool::new(&POOL).choose(&recipient).map(str::to_owned);
            let mut grown = POOL.to_vec();
            grown.push("+17025550100");
            let after = SenderPool::new(&grown).choose(&recipient).map(str::to_owned);
            prop_assert!(after == before || after.as_deref() == Some("+17025550100"));
        }
    }
}
