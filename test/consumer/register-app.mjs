// ES module variant of register-app.cjs (run with `node --import otel-privacy/register`).
import './register-app.cjs';
