// Shared by every test of @ik-upload/react (vitest project 'react', happy-dom): jest-dom's matchers,
// and an unmount of everything rendered after each test, so no uploader outlives its test.
import '@testing-library/jest-dom/vitest'
import { cleanup } from '@testing-library/react'
import { afterEach } from 'vitest'

afterEach(() => cleanup())
