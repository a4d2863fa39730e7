// A Vite app that uses only the file input: none of the drop zone's code may reach its bundle.
import { IKContext, IKUpload } from '@ik-upload/react'
import { createRoot } from 'react-dom/client'

createRoot(document.getElementById('root')).render(
  <IKContext publicKey="public_test_key" authenticationEndpoint="/api/imagekit-auth">
    <IKUpload fileName="avatar.png" />
  </IKContext>,
)
