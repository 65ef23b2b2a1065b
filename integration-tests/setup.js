// Each spec file boots a fresh Medusa app; stale MikroORM metadata from a previous file would leak into it.
const { MetadataStorage } = require("@medusajs/framework/mikro-orm/core")
MetadataStorage.clear()
