global using Xunit;
// UnixModes and the other helpers shared with the module tests.
global using NaraAuth.TestSupport.Harness;
