//! Prints the JSON description of an MMS PDU file: `cargo run -p canvass-mms --example describe FILE`.

fn main() {
    let Some(path) = std::env::args().nth(1) else {
        eprintln!("usage: describe FILE.mms");
        std::process::exit(2);
    };
    let data = match std::fs::read(&path) {
        Ok(d) => d,
        Err(e) => {
            eprintln!("{path}: {e}");
            std::process::exit(1);
        }
    };
    match canvass_mms::decode(&data) {
        Ok(pdu) => println!("{}", canvass_mms::describe_json(&pdu)),
        Err(e) => {
            eprintln!("{path}: {e}");
            std::process::exit(1);
        }
    }
}
