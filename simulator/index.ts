export { startSimulator, type Simulator, type SimulatorOptions } from './simulator.js'
export { trustSimulator, trustSimulatorFromEnv, type SimulatorTrust } from './baileys-trust.js'
export { SimulatorClient } from './client.js'
