//! Where rendered files go: [`Emit`] takes each file as it is made, whole, or a large one in
//! parts ([`Emit::open`]), so that a build can hash and write the open data's joined files
//! (tens of megabytes at 10,000 practices) as they are made instead of holding them whole.
//!
//! Any `Fn(OutputFile) -> Result<T>` is an [`Emit`]: its parts are gathered in memory and the
//! file handed over whole when it is closed (`compile` keeps every file anyway). The build's
//! writer takes the parts as they come (`write::Sink`); [`Discard`] drops every file and part
//! as it comes (`check`).

use super::{Bytes, OutputFile};
use crate::error::Result;

/// Takes the files of a render pass, from any thread, in no particular order.
pub trait Emit<T>: Sync {
    /// Takes one whole file.
    fn file(&self, file: OutputFile) -> Result<T>;

    /// Starts the file at `path`, whose bytes are then handed over in order with
    /// [`Parts::write`]; [`Parts::close`] ends it and returns what [`Emit::file`] would have
    /// returned for the whole file.
    fn open(&self, path: String) -> Result<Box<dyn Parts<T> + '_>>;
}

/// A file being handed over in parts (see [`Emit::open`]).
pub trait Parts<T>: Send {
    /// Appends `bytes` to the file.
    fn write(&mut self, bytes: &[u8]) -> Result<()>;

    /// Ends the file.
    fn close(self: Box<Self>) -> Result<T>;
}

impl<T, F: Fn(OutputFile) -> Result<T> + Sync> Emit<T> for F {
    fn file(&self, file: OutputFile) -> Result<T> {
        self(file)
    }

    fn open(&self, path: String) -> Result<Box<dyn Parts<T> + '_>> {
        Ok(Box::new(Gathered {
            emit: self,
            path,
            bytes: Vec::new(),
        }))
    }
}

/// A file's parts gathered in memory, handed to `emit` whole when it is closed.
struct Gathered<'a, F> {
    emit: &'a F,
    path: String,
    bytes: Vec<u8>,
}

impl<T, F: Fn(OutputFile) -> Result<T> + Sync> Parts<T> for Gathered<'_, F> {
    fn write(&mut self, bytes: &[u8]) -> Result<()> {
        self.bytes.extend_from_slice(bytes);
        Ok(())
    }

    fn close(self: Box<Self>) -> Result<T> {
        let Gathered { emit, path, bytes } = *self;
        emit(OutputFile {
            path,
            bytes: Bytes::from(bytes),
        })
    }
}

/// Drops every file as it comes, and every part of one.
pub struct Discard;

impl Emit<()> for Discard {
    fn file(&self, _: OutputFile) -> Result<()> {
        Ok(())
    }

    fn open(&self, _: String) -> Result<Box<dyn Parts<()> + '_>> {
        Ok(Box::new(Discard))
    }
}

impl Parts<()> for Discard {
    fn write(&mut self, _: &[u8]) -> Result<()> {
        Ok(())
    }

    fn close(self: Box<Self>) -> Result<()> {
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_closure_gets_a_file_written_in_parts_whole() {
        let emit = |f: OutputFile| Ok(f);
        let mut parts = Emit::open(&emit, "data/a.json".to_string()).unwrap();
        for part in [&b"[\n"[..], b"", b"1,\n2", b"\n]\n"] {
            parts.write(part).unwrap();
        }
        let file = parts.close().unwrap();
        assert_eq!(file.path, "data/a.json");
        assert_eq!(&file.bytes[..], b"[\n1,\n2\n]\n");
        let whole = Emit::file(&emit, file.clone()).unwrap();
        assert_eq!(whole, file);
    }
}
