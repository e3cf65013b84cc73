// The simulator's public surface: start one in this process (tests, bench, `npm run demo`), and
// its control API's typed client. Nothing outside simulator/ imports any other file of it.
export { startSimulator, type Simulator, type SimulatorOptions } from './simulator.js'
export { startSandboxService, SANDBOX_ROOT_SEED, type SandboxService, type SandboxServiceOptions } from './sandbox-service.js'
export { SimulatorClient, SandboxServiceClient, type SandboxWorld, type SimulatorAccount, type LinkedDevice, type PairedDevice, type SendResult, type ReceivedMessage, type ReceiptRecord, type ComposeInput, type SimulatedCall, type UndecryptableInput, type DecryptFailures, type UndecryptedCopy, type RetryRequest, type HistorySeed, type HistoryPush, type SimulatedGroup, type SimulatedPresence, type SimulatedProfile, type SimulatorAppState, type ChatAppState } from './client.js'
