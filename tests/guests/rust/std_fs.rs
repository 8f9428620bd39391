// Rust's standard library over WASI: std::fs (files, directories, metadata, symlinks, hard
// links, renames, listing, reading symlinks), std::io (stdin, seeking, appending), std::env, std::time with
// thread::sleep (poll_oneoff), and process::exit.
// usage: std_fs DIR EXIT_CODE (DIR/link -> target.txt; stdin: lines to reverse; env: RUST_GUEST)
use std::env;
use std::fs::{self, File, OpenOptions};
use std::io::{self, BufRead, Read, Seek, SeekFrom, Write};
use std::path::Path;
use std::process;
use std::thread;
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

fn main() {
    let args: Vec<String> = env::args().collect();
    println!("args: {}", args[1..].join(" "));
    let dir = Path::new(&args[1]).join("rust");
    let code: i32 = args.get(2).and_then(|s| s.parse().ok()).unwrap_or(0);
    println!("env RUST_GUEST={}", env::var("RUST_GUEST").unwrap_or_else(|_| "(unset)".into()));

    fs::create_dir_all(dir.join("x/y")).unwrap();
    fs::write(dir.join("hello.txt"), "hello, rust\n").unwrap();
    println!("read_to_string: {}", fs::read_to_string(dir.join("hello.txt")).unwrap().trim());

    let mut f = OpenOptions::new().append(true).open(dir.join("hello.txt")).unwrap();
    f.write_all(b"appended\n").unwrap();
    drop(f);
    let mut f = File::open(dir.join("hello.txt")).unwrap();
    f.seek(SeekFrom::Start(7)).unwrap();
    let mut rest = String::new();
    f.read_to_string(&mut rest).unwrap();
    println!("from offset 7: {:?}", rest);
    let meta = fs::metadata(dir.join("hello.txt")).unwrap();
    println!("len {} is_file {} readonly {}", meta.len(), meta.is_file(), meta.permissions().readonly());

    // Creating symlinks is unstable in this Rust (wasi_ext): the test put one in DIR.
    let link = Path::new(&args[1]).join("link");
    println!("read_link: {}", fs::read_link(&link).unwrap().display());
    println!("symlink_metadata is_symlink: {}", fs::symlink_metadata(&link).unwrap().file_type().is_symlink());
    println!("through the link: {}", fs::read_to_string(&link).unwrap().trim());
    fs::hard_link(dir.join("hello.txt"), dir.join("x/hard.txt")).unwrap();
    fs::rename(dir.join("x/hard.txt"), dir.join("x/y/moved.txt")).unwrap();
    println!("moved: {}", fs::read_to_string(dir.join("x/y/moved.txt")).unwrap().lines().count());

    let mut names: Vec<String> = fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .collect();
    names.sort();
    println!("read_dir: {}", names.join(" "));
    match File::open(dir.join("missing")) {
        Err(e) => println!("open missing: {:?}", e.kind()),
        Ok(_) => println!("open missing: opened?!"),
    }
    match fs::remove_dir(dir.join("x")) {
        Err(_) => println!("remove_dir non-empty: error"),
        Ok(_) => println!("remove_dir non-empty: removed?!"),
    }
    fs::remove_dir_all(&dir).unwrap();
    println!("removed: {}", !dir.exists());

    let start = Instant::now();
    thread::sleep(Duration::from_millis(30));
    println!("slept >= 30ms: {}", start.elapsed() >= Duration::from_millis(30));
    let secs = SystemTime::now().duration_since(UNIX_EPOCH).unwrap().as_secs();
    println!("after 2020: {}", secs > 1_577_836_800);

    let stdin = io::stdin();
    for line in stdin.lock().lines() {
        let line = line.unwrap();
        println!("reversed: {}", line.chars().rev().collect::<String>());
    }
    eprintln!("exiting with {}", code);
    io::stdout().flush().unwrap();
    process::exit(code);
}
