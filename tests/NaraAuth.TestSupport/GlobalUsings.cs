global using Xunit;
// The harness, the certificates and the OIDC helpers are used across this library's folders.
global using NaraAuth.TestSupport.Certificates;
global using NaraAuth.TestSupport.Harness;
global using NaraAuth.TestSupport.Oidc;
